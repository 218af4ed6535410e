import { db } from "@/server/db/client";

export type NewNotification = {
  userId: string;
  kind: string;
  /** What caused it; the same (user, kind, source) is delivered once, however often a job retries. */
  sourceId: string;
  title: string;
  body: string;
  link?: string;
};

export async function notifyUser(notification: NewNotification) {
  return db.notification.upsert({
    where: { userId_kind_sourceId: { userId: notification.userId, kind: notification.kind, sourceId: notification.sourceId } },
    create: notification,
    update: {},
    select: { id: true },
  });
}

export async function notificationsFor(userId: string, limit: number) {
  const [items, unread] = await Promise.all([
    db.notification.findMany({
      where: { userId },
      orderBy: { createdAt: "desc" },
      take: limit,
      select: { id: true, kind: true, title: true, body: true, link: true, readAt: true, createdAt: true },
    }),
    db.notification.count({ where: { userId, readAt: null } }),
  ]);
  return { items, unread };
}

export async function markAllRead(userId: string) {
  const { count } = await db.notification.updateMany({ where: { userId, readAt: null }, data: { readAt: new Date() } });
  return { marked: count };
}
