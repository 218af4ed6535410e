import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createHttpContext } from "@/server/http-context";
import { appRouter } from "@/server/root";

function handler(request: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => createHttpContext(request.headers),
  });
}

export { handler as GET, handler as POST };
