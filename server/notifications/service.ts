import { randomUUID } from "node:crypto";
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

/** Delivers once: a repeat (same user, kind and source) changes nothing and answers the first one's id. */
export async function notifyUser(notification: NewNotification) {
  // One statement (Prisma's upsert on a compound key is a read, a write and a read in a transaction).
  const [delivered] = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO notifications."Notification" (id, "userId", kind, "sourceId", title, body, link)
    VALUES (${randomUUID()}::uuid, ${notification.userId}::uuid, ${notification.kind}, ${notification.sourceId}, ${notification.title}, ${notification.body}, ${notification.link ?? null})
    ON CONFLICT ("userId", kind, "sourceId") DO UPDATE SET kind = EXCLUDED.kind
    RETURNING id`;
  return delivered;
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
