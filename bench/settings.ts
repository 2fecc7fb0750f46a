/** A benchmark knob from the environment: a positive whole number, or `fallback` when unset. */
export function setting(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!(Number.isInteger(value) && value > 0)) throw new Error(`${name} must be a positive whole number, not '${text}'`);
  return value;
}
