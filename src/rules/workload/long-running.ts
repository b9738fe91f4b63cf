// Kinds whose pods are expected to run indefinitely and serve; Jobs, CronJobs and bare Pods run to completion
// or are managed by hand, so probes are not expected of them. Argo Rollouts and OpenShift DeploymentConfigs replace
// Deployments; Knative Services are left out, as Knative gives every container a readiness probe by default.
import type { Inventory } from '../../core/inventory.ts';
import { isRecord, type KubeObject } from '../../core/kube-object.ts';
import type { ContainerView, PodTemplateView } from '../../core/pod-spec.ts';
import { isSelectedByService } from '../../core/service-selection.ts';

export const LONG_RUNNING_KINDS: readonly string[] = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Rollout',
  'DeploymentConfig',
];

/** True when the container declares at least one container port. */
export function declaresPorts(container: ContainerView): boolean {
  const ports = container.container.ports;
  return Array.isArray(ports) && ports.some((port) => isRecord(port));
}

/** True when a Service in the inventory, in the object's namespace, selects the pod template. */
export function selectedByService(inventory: Inventory, object: KubeObject, view: PodTemplateView): boolean {
  const namespace = typeof object.metadata.namespace === 'string' ? object.metadata.namespace : '';
  return isSelectedByService(inventory, namespace, view.metadata.labels);
}
