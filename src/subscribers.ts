import { subscribeDepositOnPublication, type CrossrefClient } from './exports/index.ts';
import { createSubscriptions, type Subscriptions } from './platform/events/index.ts';
import { subscribeCopyeditingMail, subscribeNoticeMail, subscribeProductionMail, subscribePublicationMail, subscribeReviewMail, subscribeWorkflowMail } from './workflow/index.ts';

/**
 * Who reacts to which domain event, in one place, like app.ts for routes: each capability adds its
 * subscribers here. The worker runs them (`subscriptions.jobHandlers()` among its job handlers);
 * a test builds its own with the subscribers it needs.
 */
export interface SubscriberDeps {
  crossref: CrossrefClient;
  baseUrl: string;
}

export function buildSubscriptions(deps: SubscriberDeps): Subscriptions {
  const subscriptions = createSubscriptions();
  subscribeDepositOnPublication(subscriptions, { client: deps.crossref, baseUrl: deps.baseUrl });
  subscribeWorkflowMail(subscriptions, { baseUrl: deps.baseUrl });
  subscribeReviewMail(subscriptions, { baseUrl: deps.baseUrl });
  subscribeCopyeditingMail(subscriptions, { baseUrl: deps.baseUrl });
  subscribeProductionMail(subscriptions, { baseUrl: deps.baseUrl });
  subscribePublicationMail(subscriptions, { baseUrl: deps.baseUrl });
  subscribeNoticeMail(subscriptions, { baseUrl: deps.baseUrl });
  return subscriptions;
}
