// The browser build's declarations: async init, then the same API.
import init, { Rubric, type Scorecard } from "../../pkg/web/rubric_wasm.js";

export async function scoreInBrowser(text: string): Promise<number | null> {
  await init();
  const card: Scorecard = Rubric.bundled("coding-round").score(text);
  return card.overall.score;
}
