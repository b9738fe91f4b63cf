// Which subjects are Kubernetes' own components: they are meant to hold powerful roles, so rules do not flag them.
import type { BindingRecord } from './binding-records.ts';
import { ANONYMOUS, isBroadGroup, type Subject, serviceAccountOfUser } from './subject.ts';

/**
 * `system:` users and groups (kube-scheduler, nodes, masters...) except the groups that stand for everyone and the
 * anonymous user, and the controllers' ServiceAccounts in kube-system when the bootstrap policy binds them.
 */
export function isSystemComponent(subject: Subject, binding: Pick<BindingRecord, 'bootstrap'>): boolean {
  switch (subject.kind) {
    case 'Group':
      return subject.name.startsWith('system:') && !isBroadGroup(subject.name);
    case 'User':
      return (
        subject.name.startsWith('system:') &&
        subject.name !== ANONYMOUS &&
        serviceAccountOfUser(subject.name) === undefined
      );
    case 'ServiceAccount':
      return binding.bootstrap && subject.namespace === 'kube-system';
  }
}
