// The sentence every format uses for an exception that expired, so a user sees the same words everywhere.
import type { ExceptionRule } from '../core/exception.ts';

export function describeExpiredException(exception: ExceptionRule): string {
  const scope = exception.namespace === '' ? exception.name : `${exception.namespace}/${exception.name}`;
  const container = exception.container === undefined ? '' : ` container ${exception.container}`;
  return `exception for ${exception.rules.join(', ')} on ${exception.kind} ${scope}${container} expired on ${exception.expires ?? '(no date)'} and no longer applies`;
}
