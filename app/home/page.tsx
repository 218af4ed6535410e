import { redirect } from "next/navigation";
import { homeFor } from "@/server/auth/areas";
import { currentUser } from "@/server/auth/page-guard";

/** Where sign-in lands: each role's own area. */
export default async function HomeRedirect() {
  const user = await currentUser();
  redirect(user ? homeFor(user.role) : "/sign-in");
}
