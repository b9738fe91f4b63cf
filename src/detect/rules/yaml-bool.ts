// A rules-file scalar read as a boolean the way Falco reads it: yaml-cpp's convert<bool> accepts y/n, yes/no,
// true/false and on/off written in lower case, UPPER CASE or Capitalized, whether quoted or not.

const NAMES: Record<string, boolean> = {
  y: true,
  n: false,
  yes: true,
  no: false,
  true: true,
  false: false,
  on: true,
  off: false,
};

function flexibleCase(text: string): boolean {
  if (text === text.toLowerCase()) return true;
  const rest = text.slice(1);
  return /^[A-Z]/.test(text) && (rest === rest.toLowerCase() || rest === rest.toUpperCase());
}

/** The boolean a scalar means, or undefined when yaml-cpp would not decode it (Falco then refuses the item). */
export function yamlBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string' || !flexibleCase(value)) return undefined;
  return Object.hasOwn(NAMES, value.toLowerCase()) ? NAMES[value.toLowerCase()] : undefined;
}
