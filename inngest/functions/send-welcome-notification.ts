import { userSummary } from "@/server/auth";
import { notifyUser } from "@/server/notifications";
import { inngest, userRegistered } from "../client";

const WELCOME = {
  PATIENT: {
    body: "Start your record: import a file from your patient portal, upload a lab report, or connect your hospital.",
    link: "/patient",
  },
  PROFESSIONAL: {
    body: "An administrator is verifying your licence. You will be able to review shared records once it is verified.",
    link: "/professional",
  },
  ADMIN: { body: "The admin dashboard shows professionals awaiting verification and the audit trail.", link: "/admin" },
} as const;

export const sendWelcomeNotification = inngest.createFunction(
  { id: "send-welcome-notification", name: "Send welcome notification", triggers: [userRegistered], retries: 5 },
  async ({ event, step }) => {
    // One step reads the user and writes the notification, so the user's name never lands in the stored step output.
    return step.run("notify-user", async () => {
      const user = await userSummary(event.data.userId);
      if (!user) return { skipped: "user no longer exists" };
      const welcome = WELCOME[user.role];
      const notification = await notifyUser({
        userId: user.id,
        kind: "welcome",
        sourceId: event.id ?? user.id,
        title: `Welcome to HoloVitals, ${user.name.split(" ")[0]}`,
        body: welcome.body,
        link: welcome.link,
      });
      return { notificationId: notification.id };
    });
  },
);
