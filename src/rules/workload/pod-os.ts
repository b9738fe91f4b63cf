// Linux-only security settings do not apply to Windows pods; the API server rejects them there.
import { isRecord } from '../../core/kube-object.ts';
import type { PodTemplateView } from '../../core/pod-spec.ts';

/** True when the pod declares `spec.os.name: windows`. */
export function isWindowsPod(view: PodTemplateView): boolean {
  const os = view.spec.os;
  return isRecord(os) && os.name === 'windows';
}
