// Walking the component tree of a CycloneDX BOM.
import { isRecord } from '../../core/kube-object.ts';

/**
 * Every component, however deeply nested (`components` within components), in document order. Walked with an
 * explicit stack rather than recursion, so depth costs no call stack and needs no limit: a limit would drop the
 * packages below it, and a vulnerable package nested deep in a BOM must still be matched. An entry that is not an
 * object is given to `onSkipped` with its path (`components[0].components[2]`), so it is said, not dropped unseen.
 */
export function* cycloneDxComponents(
  components: unknown,
  onSkipped: (path: string, value: unknown) => void = () => {},
): Generator<Record<string, unknown>> {
  const stack: unknown[][] = [Array.isArray(components) ? components : []];
  const paths: string[] = ['components'];
  const positions: number[] = [0];
  while (stack.length > 0) {
    const level = stack.length - 1;
    const list = stack[level]!;
    const position = positions[level]!;
    if (position >= list.length) {
      stack.pop();
      paths.pop();
      positions.pop();
      continue;
    }
    positions[level] = position + 1;
    const component = list[position];
    const path = `${paths[level]}[${position}]`;
    if (!isRecord(component)) {
      onSkipped(path, component);
      continue;
    }
    yield component;
    if (Array.isArray(component.components) && component.components.length > 0) {
      stack.push(component.components);
      paths.push(`${path}.components`);
      positions.push(0);
    }
  }
}
