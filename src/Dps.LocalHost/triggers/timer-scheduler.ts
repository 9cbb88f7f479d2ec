import { nextOccurrence, parseNcrontab } from './ncrontab';

/** The timer trigger's value, as the host sends it (the library camel-cases it). */
export function timerInfo(last: Date | undefined, next: Date, isPastDue: boolean): Record<string, unknown> {
  return {
    Schedule: { AdjustForDST: true },
    ScheduleStatus: { Last: (last ?? new Date(0)).toISOString(), Next: next.toISOString(), LastUpdated: new Date().toISOString() },
    IsPastDue: isPastDue,
  };
}

/** Fires a callback on a six-field NCRONTAB schedule until stopped. */
export class TimerSchedule {
  private handle: NodeJS.Timeout | undefined;
  private last: Date | undefined;
  private stopped = false;

  constructor(
    private readonly expression: string,
    private readonly fire: (info: Record<string, unknown>) => Promise<void>,
  ) {
    parseNcrontab(expression);
  }

  /** Arms the schedule; with `runOnStartup` it also fires once right away. */
  start(runOnStartup: boolean): void {
    if (runOnStartup) void this.tick(new Date(), false);
    this.arm();
  }

  /** Disarms the schedule. */
  stop(): void {
    this.stopped = true;
    if (this.handle) clearTimeout(this.handle);
  }

  private arm(): void {
    if (this.stopped) return;
    const next = nextOccurrence(parseNcrontab(this.expression), new Date());
    const wait = Math.min(next.getTime() - Date.now(), 2 ** 31 - 1);
    this.handle = setTimeout(() => {
      if (Date.now() + 5 >= next.getTime()) void this.tick(next, false);
      this.arm();
    }, Math.max(0, wait));
  }

  private async tick(due: Date, isPastDue: boolean): Promise<void> {
    const next = nextOccurrence(parseNcrontab(this.expression), due);
    const info = timerInfo(this.last, next, isPastDue);
    this.last = due;
    await this.fire(info);
  }
}
