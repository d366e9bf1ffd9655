import type { Plan } from '../../domain/plan/plan';
import { DomainError } from '../../domain/shared/domain-error';

/** The plans on sale, from configuration. */
export class PlanCatalog {
  private readonly byId: Map<number, Plan>;

  constructor(readonly plans: readonly Plan[]) {
    this.byId = new Map(plans.map((plan) => [plan.id, plan]));
  }

  get(planId: number): Plan {
    const plan = this.byId.get(planId);
    if (!plan) throw new DomainError('PLAN_NOT_FOUND', `no plan ${planId}`);
    return plan;
  }
}
