// Kubernetes' IsDNS1123Label: what namespace, container, volume and many other names must be.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit. */
export function isDns1123Label(value: string): boolean {
  return DNS1123_LABEL.test(value);
}
