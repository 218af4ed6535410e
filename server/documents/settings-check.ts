// The documents domain's settings, checked when the server starts and by
// /api/ready: a deployment hears of a mistyped variable at once, not from the
// first patient whose upload fails.
import { storageSettingsFromEnv } from "./storage";

export function documentSettingsProblems(env: Record<string, string | undefined> = process.env): string[] {
  const problems: string[] = [];
  try {
    storageSettingsFromEnv(env);
  } catch (error) {
    problems.push((error as Error).message);
  }
  const limit = env.DOCUMENT_MAX_UPLOAD_MB?.trim();
  if (limit && !(Number(limit) > 0)) problems.push(`DOCUMENT_MAX_UPLOAD_MB must be a number of megabytes above 0, not ${JSON.stringify(limit)}`);
  const engine = env.OCR_ENGINE?.trim();
  if (engine && engine !== "tesseract" && engine !== "tesseract-js") problems.push(`OCR_ENGINE must be tesseract or tesseract-js, not ${JSON.stringify(engine)}`);
  return problems;
}
