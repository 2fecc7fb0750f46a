/** Key paths in error locations, shared by every reader of structured input. */
const plainKey = /^[A-Za-z_$][\w$-]*$/;

/** `spec.dependsOn[2]`, and `metadata.annotations["upgrade-factory.io/tier"]` for keys with dots or slashes. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`;
      const text = String(key);
      if (!plainKey.test(text)) return `[${JSON.stringify(text)}]`;
      return index === 0 ? text : `.${text}`;
    })
    .join('');
}
