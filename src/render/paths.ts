// Field paths for render problems, in the apiserver's style:
// `spec.workerTemplate.spec.containers[0].args[0]`, with keys that are not
// identifiers in brackets (`labels[app.kubernetes.io/name]`).

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function childPath(parent: string, key: string): string {
  if (IDENTIFIER.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${key}]`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
