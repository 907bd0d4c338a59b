import { Id, Type } from '../../../platform/http/index.ts';
import { IntegerOrNull, Localized, named, TextOrNull } from '../common.ts';

const DateTime = Type.String({ format: 'date-time' });

export const Notification = named(
  'Notification',
  Type.Object({
    id: Id,
    kind: Type.String({ description: 'What happened: `submission-submitted`, `submission-assigned`, `discussion-message`, `review-requested`, `review-answered`, `review-submitted`, `review-changed`, `review-reminder`, `decision`, `recommendation`, `revisions-submitted`.' }),
    message: Localized,
    params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), { description: 'The ids and short values the message is made from (e.g. `reviewId`, `discussionId`).' }),
    journalId: IntegerOrNull,
    journalPath: TextOrNull,
    submissionId: IntegerOrNull,
    read: Type.Boolean(),
    dateCreated: DateTime,
    dateRead: Type.Union([DateTime, Type.Null()]),
    url: Type.Union([Type.String(), Type.Null()], { description: 'The page where to act on it, in the browser.' }),
  }),
);

export const NotificationList = Type.Object({
  itemsMax: Type.Integer({ minimum: 0 }),
  unread: Type.Integer({ minimum: 0, description: 'Unread notifications in all.' }),
  items: Type.Array(Notification),
});

export const NotificationParams = Type.Object({ notificationId: Id });
