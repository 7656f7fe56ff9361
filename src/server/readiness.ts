// Readiness of the server: ready once every check passes (the certificate is
// loaded, the template source and service index have synced). Once shutdown
// has begun it is never ready again, so that the endpoint is removed from the
// Service while in-flight reviews finish.

/** Something that must be ready before the server takes reviews. */
export interface ReadinessCheck {
  readonly name: string;
  isReady(): boolean;
}

export interface ReadinessReport {
  ready: boolean;
  shuttingDown: boolean;
  /** Each check by name, true when it passes. */
  checks: Record<string, boolean>;
}

export class Readiness {
  private readonly checks: ReadinessCheck[] = [];
  private shuttingDown = false;

  add(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  /** Reports not ready from now on. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  report(): ReadinessReport {
    const checks: Record<string, boolean> = {};
    for (const check of this.checks) checks[check.name] = check.isReady();
    const allPass = Object.values(checks).every((passes) => passes);
    return { ready: allPass && !this.shuttingDown, shuttingDown: this.shuttingDown, checks };
  }
}
