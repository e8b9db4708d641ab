import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../scripts/lib/planner";
import { importSalt, saltDirInputs } from "../../scripts/lib/salt/importer";
import { stackFileText } from "../../scripts/lib/salt/output";

const SEED = path.join(PROJECT_ROOT, "test", "fixtures", "salt", "seed");

/** Pulumi.prod.yaml as `npm run import` writes it from the seed's Salt files (the seed's config, verbatim names). */
export function importedProdStack(): string {
  const r = importSalt(
    [
      ...saltDirInputs(path.join(SEED, "etc", "salt")),
      { kind: "pillar", path: path.join(SEED, "pillar.json") },
    ],
    {
      stack: "prod",
    },
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-adopt-"));
  const file = path.join(dir, "Pulumi.prod.yaml");
  fs.writeFileSync(file, stackFileText(r, dir));
  return file;
}
