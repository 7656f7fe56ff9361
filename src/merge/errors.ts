// Errors of the strategic merge and the field paths they name. Paths are kept
// as a linked list of segments and formatted only when an error is raised,
// because the merge visits every value and most merges succeed.

/** A merge that Kubernetes strategic merge patch rejects, or input over a limit. */
export class MergeError extends Error {
  /** Field path of the offending value, such as `spec.template.spec.containers[0]`. */
  readonly path: string;

  constructor(path: string, message: string) {
    super(path === '' ? message : `${path}: ${message}`);
    this.name = 'MergeError';
    this.path = path;
  }
}

/** An immutable field path: struct fields as `.name`, map keys and list indices in brackets. */
export class FieldPath {
  private constructor(
    private readonly parent: FieldPath | undefined,
    private readonly segment: string,
  ) {}

  static root(prefix: string): FieldPath {
    return new FieldPath(undefined, prefix);
  }

  field(name: string): FieldPath {
    return new FieldPath(this, `.${name}`);
  }

  key(name: string): FieldPath {
    return new FieldPath(this, `[${name}]`);
  }

  index(position: number): FieldPath {
    return new FieldPath(this, `[${position}]`);
  }

  toString(): string {
    const segments: string[] = [];
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the walk starts at this node
    for (let node: FieldPath | undefined = this; node !== undefined; node = node.parent) {
      segments.push(node.segment);
    }
    const joined = segments.reverse().join('');
    return joined.startsWith('.') ? joined.slice(1) : joined;
  }
}

/** Throws a MergeError at `path`. */
export function fail(path: FieldPath, message: string): never {
  throw new MergeError(path.toString(), message);
}
