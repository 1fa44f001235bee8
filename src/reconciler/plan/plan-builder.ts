import type { Adoption, Operation, Plan, PlanNote, PlanProblem, Rollout } from './plan.js';

// Collects a plan in order: every operation gets the next id (its index), its dependencies sorted and
// deduplicated, so the same inputs always give the same plan, line for line.

/** An operation as the planner writes it: the builder assigns the id. */
export type OperationDraft = Operation extends infer Each ? (Each extends Operation ? Omit<Each, 'id'> : never) : never;

export class PlanBuilder {
  private readonly operations: Operation[] = [];
  private readonly problems: PlanProblem[] = [];
  private readonly notes: PlanNote[] = [];
  private readonly adoptions: Adoption[] = [];
  private readonly rollouts: Rollout[] = [];

  constructor(private readonly projectName: string) {}

  /** Adds an operation and returns its id. Dependencies given as null (nothing planned) are dropped. */
  add(draft: OperationDraft): number {
    const id = this.operations.length;
    const dependsOn = uniqueSorted(draft.dependsOn);
    this.operations.push({ ...draft, id, dependsOn } as Operation);
    return id;
  }

  problem(problem: PlanProblem): void {
    const duplicate = this.problems.some(
      (known) => known.resourceId === problem.resourceId && known.message === problem.message,
    );
    if (!duplicate) this.problems.push(problem);
  }

  note(note: PlanNote): void {
    this.notes.push(note);
  }

  adoption(adoption: Adoption): void {
    this.adoptions.push(adoption);
  }

  rollout(rollout: Rollout): void {
    this.rollouts.push(rollout);
  }

  /** Operations planned so far: the next operation gets this id. */
  get size(): number {
    return this.operations.length;
  }

  build(): Plan {
    return {
      projectName: this.projectName,
      operations: [...this.operations],
      problems: [...this.problems],
      notes: [...this.notes],
      adoptions: [...this.adoptions],
      ...(this.rollouts.length > 0 ? { rollouts: [...this.rollouts] } : {}),
    };
  }
}

/** Operation ids from several sources, without the nulls of "nothing planned there". */
export function ids(...sources: Array<number | null | undefined | readonly number[]>): number[] {
  const result: number[] = [];
  for (const source of sources) {
    if (source === null || source === undefined) continue;
    if (typeof source === 'number') result.push(source);
    else result.push(...source);
  }
  return uniqueSorted(result);
}

function uniqueSorted(values: readonly number[]): number[] {
  return [...new Set(values)].sort((left, right) => left - right);
}
