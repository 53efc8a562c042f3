import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { parseConfig } from "../src/checks";
import { buildApp } from "../src/stacks/app";
import { ConfigError } from "../src/config/errors";
import { environmentStackNames } from "../src/environment-stacks";
import { checkProtectedRemovals, folderBaseline } from "../src/removal-guard";
import { checkStackSizes } from "../src/stack-size";
import { readSynthesizedStacks } from "../src/synthesized/read";
import { PROJECT_ROOT, devAndProd, minimalRawConfig, tempDir, validConfig } from "./support/fixtures";

const page = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "stack-groups.md"), "utf8");
/** The page's fenced blocks, with their language (empty for command output), in order. */
const blocks: Array<{ language: string; text: string }> = [];
{
  let open: { language: string; lines: string[] } | undefined;
  for (const line of page.split("\n")) {
    if (!line.startsWith("```")) open?.lines.push(line);
    else if (open) {
      blocks.push({ language: open.language, text: open.lines.join("\n").trim() });
      open = undefined;
    } else open = { language: line.slice(3), lines: [] };
  }
}
/** The page's blocks marked `# registry.yaml excerpt`, as data. */
const excerpts = blocks.filter((b) => b.language === "yaml" && b.text.startsWith("# registry.yaml excerpt")).map((b) => parse(b.text) as Record<string, any>);
/** The page's command output blocks, in order. */
const outputs = blocks.filter((b) => b.language === "").map((b) => b.text);

function synthesized(raw: Record<string, any>): string {
  const outdir = path.join(tempDir(), "cdktf.out");
  buildApp(validConfig(raw), { outdir }).synth();
  return outdir;
}

describe("docs/stack-groups.md", () => {
  test("its examples are valid config over dev and prod", () => {
    expect(excerpts).toHaveLength(2);
    for (const excerpt of excerpts) expect(() => parseConfig(stringify(devAndProd([], excerpt)), "docs/stack-groups.md")).not.toThrow();
  });

  test("the first example's stacks are the ones npm run stacks prints, in the order shown", () => {
    const names = environmentStackNames(validConfig(devAndProd([], excerpts[0])));
    expect(names).toEqual([
      "model-registry-dev",
      "model-registry-dev-llm",
      "model-registry-dev-shared",
      "model-registry-dev-vision",
      "model-registry-prod",
      "model-registry-prod-llm",
      "model-registry-prod-shared",
      "model-registry-prod-vision",
    ]);
    const shown = outputs[0].split("\n")[1].replace(", ...]", "]");
    expect(names.slice(0, 5)).toEqual(JSON.parse(shown));
  });

  test("the removal guard's message for a move without movedFromGroup is the one shown", () => {
    const repositories = (extra: Record<string, unknown>) => [{ name: "llm/chat", ...extra }];
    const before = synthesized({ ...minimalRawConfig(), repositories: repositories({}) });
    const after = { ...minimalRawConfig(), repositories: repositories({ group: "llm" }) };
    let message = "";
    try {
      checkProtectedRemovals(validConfig(after), path.resolve("registry.yaml"), readSynthesizedStacks(synthesized(after)), folderBaseline(before, "the previous synth in cdktf.out", "reset it"));
    } catch (error) {
      message = (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`).join("\n");
    }
    expect(outputs).toContain(message);
  });

  test("the size guard's warning is the one shown, for the environment it describes", () => {
    const raw = { ...minimalRawConfig(), repositories: Array.from({ length: 300 }, (_, i) => ({ name: `${["llm", "vision", "audio"][i % 3]}/model-${String(i).padStart(3, "0")}` })) };
    const warnings = checkStackSizes(validConfig(raw), readSynthesizedStacks(synthesized(raw)), "registry.yaml");
    expect(warnings).toHaveLength(1);
    expect(outputs).toContain(warnings[0]);
  });

  describe("what groups save", () => {
    const recorded = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "bench", "plan-results.json"), "utf8"));
    const [oneStack, groups] = recorded.results;
    const row = (r: any) => `| \`${r.planned.join(", ")}\` | ${r.validate.resources} | ${r.medianPlanSeconds.toFixed(1)} s | ${r.planRequests} |`;

    test("the table is the latest bench run at 1,000 repositories", () => {
      expect(recorded.repositories).toBe(1000);
      expect([oneStack.id, groups.id]).toEqual(["one-stack", "groups"]);
      expect(page).toContain(`(a) one stack ${row(oneStack)}`);
      expect(page).toContain(`(b) groups of 100 ${row(groups)}`);
    });

    test("the validate table has every stack size the bench timed", () => {
      expect(recorded.validateBySize.map((v: any) => v.repositories)).toEqual([10, 100, 500, 1000]);
      for (const v of recorded.validateBySize) expect(page).toContain(`| ${v.repositories} | ${v.resources} | ${v.seconds.toFixed(1)} s |`);
    });

    test("the ratios and validate times are the recorded ones", () => {
      expect(page).toContain(`**${recorded.ratio.toFixed(1)}× faster** with ${(oneStack.planRequests / groups.planRequests).toFixed(1)}× fewer requests`);
      expect(page).toContain(`\`terraform validate\` took ${oneStack.validate.seconds.toFixed(1)} s for the 5,003-resource stack and\n${groups.validate.seconds.toFixed(1)} s for a 500-resource group`);
    });
  });
});
