// The check shared by the resource request and limit rules: one violation per container and missing resource.
import { formatPath, type KubeObject } from '../../core/kube-object.ts';
import { containersOf, podTemplateOf } from '../../core/pod-spec.ts';
import type { RuleContext, Violation } from '../../core/rule.ts';
import {
  type ComputeResource,
  hasResource,
  type ResourceBound,
  resourceBearing,
} from './resource-defaults.ts';

export function missingResources(
  object: KubeObject,
  context: RuleContext,
  bound: ResourceBound,
  resources: readonly ComputeResource[],
): Violation[] {
  const view = podTemplateOf(object);
  if (!view) return [];
  const out: Violation[] = [];
  for (const container of resourceBearing(containersOf(view))) {
    for (const resource of resources) {
      if (hasResource(context.inventory, object, view, container, bound, resource)) continue;
      const path = [...container.path, 'resources', bound, resource];
      const what = bound === 'requests' ? 'request' : 'limit';
      out.push({
        message: `container "${container.name}" has no ${resource} ${what} (${formatPath(path.slice(view.specPath.length))}), and no LimitRange in the namespace supplies a default`,
        path,
        container: container.name,
      });
    }
  }
  return out;
}
