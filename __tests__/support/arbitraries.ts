import fc from "fast-check";

/**
 * fast-check arbitraries for valid raw configs (as a user would write them in registry.yaml) and
 * for mutations that make a valid config invalid.
 *
 * Valid configs respect every cross-field rule by construction: each environment has its own
 * account (so each manages its own registry), repository names end in a marker segment `r<i>`
 * and otherwise use only the letters a-h and digits (so no name contains another, and no name
 * starts with a pull-through cache or creation template prefix), consumers are unique per list
 * and Lambda functions sit in the region of the one environment they apply to.
 */

type Raw = Record<string, any>;

const REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"];
const ENVIRONMENT_NAMES = ["dev", "qa", "staging", "prod", "sandbox"];

/** Drops keys whose value is undefined, so optional fields are absent rather than null. */
function compact<T extends Raw>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const tagsArb: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.constantFrom("Team", "CostCenter", "Owner", "Model Family", "app:tier", "data/classification"),
  fc.stringMatching(/^[A-Za-z0-9 _.:/=+@-]{0,16}$/),
  { maxKeys: 3 },
);

const segmentArb = fc.stringMatching(/^[a-h0-9]{1,6}(?:[._-][a-h0-9]{1,4})?$/);

function repositoryNameArb(index: number): fc.Arbitrary<string> {
  return fc.array(segmentArb, { maxLength: 2 }).map((segments) => [...segments, `r${index}`].join("/"));
}

const lifecycleRuleArbs = {
  count: fc.oneof(
    fc.integer({ min: 1, max: 500 }).map((keepLast) => ({ keepLast })),
    fc.integer({ min: 1, max: 3650 }).map((olderThanDays) => ({ olderThanDays })),
  ),
  description: maybe(fc.constantFrom("Expire old builds", "Keep recent model versions")),
};

/**
 * A valid, non-empty rule list: at most one untagged rule, tagged rules with distinct selections,
 * any last. Never empty, so no inheritance can leave a policy without rules.
 */
const lifecycleRulesArb: fc.Arbitrary<Raw[]> = fc
  .record({
    untagged: maybe(lifecycleRuleArbs.count),
    tagged: fc.subarray([{ tagPatterns: ["v*"] }, { tagPrefixes: ["nightly"] }, { tagPatterns: ["*"] }, { tagPrefixes: ["build-", "gpu"] }]),
    counts: fc.array(lifecycleRuleArbs.count, { minLength: 4, maxLength: 4 }),
    any: maybe(lifecycleRuleArbs.count),
    description: lifecycleRuleArbs.description,
  })
  .filter(({ untagged, tagged, any }) => untagged !== undefined || tagged.length > 0 || any !== undefined)
  .map(({ untagged, tagged, counts, any, description }) => [
    ...(untagged ? [{ tagStatus: "untagged", ...untagged }] : []),
    ...tagged.map((selection, i) => compact({ description, ...selection, ...counts[i] })),
    ...(any ? [{ tagStatus: "any", ...any }] : []),
  ]);

const lifecycleArb: fc.Arbitrary<Raw | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant({ enabled: false }),
  fc
    .record({ protectedTags: maybe(fc.subarray(["prod-*", "release-*", "stable"])), rules: maybe(lifecycleRulesArb) })
    .map(compact),
);

const mutabilityArb: fc.Arbitrary<Raw> = fc.oneof(
  fc.constantFrom("IMMUTABLE", "MUTABLE").map((tagMutability) => ({ tagMutability })),
  fc
    .record({
      tagMutability: fc.constantFrom("IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION"),
      mutabilityExclusions: fc.shuffledSubarray(["latest", "dev-*", "*-rc", "nightly", "test*"], { minLength: 1, maxLength: 5 }),
    }),
);

const encryptionArb = fc.constantFrom(
  undefined,
  { type: "KMS" },
  { type: "AES256" },
  { type: "KMS", kmsKeyArn: "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
);

interface Environment {
  readonly name: string;
  readonly region: string;
}

/** A consumer of each kind; `id` makes its grantee unique in its list. */
function consumerArb(id: number, scope: readonly Environment[]): fc.Arbitrary<Raw> {
  const account = (digit: number) => `${digit}${String(id).padStart(11, "0")}`;
  const environments = maybe(fc.subarray(scope.map((e) => e.name), { minLength: 1 }));
  return fc.oneof(
    fc.record({
      kind: fc.constantFrom("push", "pull"),
      principal: fc.constantFrom(account(5), `arn:aws:iam::${account(5)}:role/ci/consumer-${id}`, `arn:aws:iam::${account(5)}:user/builder-${id}`),
      environments,
    }),
    fc.record({ kind: fc.constant("lambda"), sourceAccount: fc.constant(account(6)), environments }),
    // A function ARN names a region, so the consumer applies only to an environment there.
    fc.constantFrom(...scope).map((env) => ({
      kind: "lambda",
      sourceArn: `arn:aws:lambda:${env.region}:${account(6)}:function:embed-${id}-*`,
      environments: [env.name],
    })),
    fc.record({
      kind: fc.constant("organization"),
      organizationId: fc.constant(`o-a1b2c3d4e5${id}`),
      organizationPaths: maybe(fc.constant([`o-a1b2c3d4e5${id}/r-ab12/ou-ab12-11111111/*`])),
      environments,
    }),
  ).map(compact);
}

function consumerListArb(scope: readonly Environment[], firstId: number): fc.Arbitrary<Raw[] | undefined> {
  return maybe(fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => consumerArb(firstId + i, scope)))));
}

function repositoryArb(index: number, environments: readonly Environment[]): fc.Arbitrary<Raw> {
  return fc
    .record({
      name: repositoryNameArb(index),
      description: maybe(fc.constantFrom("LLM inference images", "Embeddings: text, images & audio")),
      mutability: mutabilityArb,
      scanOnPush: maybe(fc.boolean()),
      encryption: encryptionArb,
      tags: maybe(tagsArb),
      lifecycle: lifecycleArb,
      environments: maybe(fc.subarray(environments.map((e) => e.name), { minLength: 1 })),
      inheritConsumers: maybe(fc.boolean()),
      renamedFrom: maybe(fc.constant([`legacy${index}`])),
    })
    .chain(({ mutability, ...repo }) => {
      const scope = repo.environments ? environments.filter((e) => repo.environments!.includes(e.name)) : environments;
      return consumerListArb(scope, 100 * (index + 1)).map((consumers) => compact({ ...repo, ...mutability, consumers }));
    });
}

/** An environment in its own account (so it manages its own registry), with its region resolved. */
function environmentArb(name: string, index: number, registryRegion: string): fc.Arbitrary<Raw & Environment> {
  const accountId = String(index + 1).repeat(12);
  return fc
    .record({
      region: fc.constantFrom(registryRegion, ...REGIONS),
      protected: maybe(fc.boolean()),
      role: maybe(fc.record({ externalId: maybe(fc.constant("model-registry")), sessionName: maybe(fc.constant(`registry-${name}`)) })),
    })
    .map(({ region, role, ...rest }) =>
      compact({
        name,
        accountId,
        region,
        ...rest,
        ...(role ? compact({ assumeRoleArn: `arn:aws:iam::${accountId}:role/model-registry-deploy`, ...role }) : {}),
      }),
    );
}

const SURROGATES = 0xe000 - 0xd800;

/**
 * fast-check's `unit: "binary"` (any code point but a lone surrogate), giving the same values from
 * the same seed. fast-check's own unit maps a value back to its index through a map of all 1.1
 * million code points, which it builds (1.2 s) when `fc.string` is created; this one computes it.
 */
export const binaryUnit: fc.Arbitrary<string> = fc.nat({ max: 0x10ffff - SURROGATES }).map(
  (index) => String.fromCodePoint(index < 0xd800 ? index : index + SURROGATES),
  (value) => {
    const codePoint = typeof value === "string" ? value.codePointAt(0) : undefined;
    if (codePoint === undefined || String.fromCodePoint(codePoint) !== value || (codePoint >= 0xd800 && codePoint < 0xe000)) {
      throw new Error("not a single code point");
    }
    return codePoint < 0xd800 ? codePoint : codePoint - SURROGATES;
  },
);

/** A valid raw config: 1-3 environments, 1-4 repositories, and each registry feature or not. */
export const validConfigArb: fc.Arbitrary<Raw> = fc
  .record({
    project: fc.constantFrom("model-registry", "ml", "acme-ai-models"),
    region: fc.constantFrom(...REGIONS),
    environmentNames: fc.shuffledSubarray(ENVIRONMENT_NAMES, { minLength: 1, maxLength: 3 }),
    repositoryCount: fc.integer({ min: 1, max: 4 }),
  })
  .chain(({ project, region, environmentNames, repositoryCount }) =>
    fc
      .tuple(...environmentNames.map((name, i) => environmentArb(name, i, region)))
      .chain((environments) => {
        const envs: Environment[] = environments.map((e) => ({ name: e.name, region: e.region }));
        // Written as the user would: an environment in the registry's region leaves region out.
        const written = environments.map((e) => compact({ ...e, region: e.region === region ? undefined : e.region }));
        const names = envs.map((e) => e.name);
        return fc
          .record({
            state: fc.constantFrom({ bucket: "acme-tfstate" }, { bucket: "acme-tfstate", keyPrefix: "teams/ml", encryption: { type: "AES256" } }, { backend: "hcp", organization: "acme-ml" }),
            tags: maybe(tagsArb),
            repositories: fc.tuple(...Array.from({ length: repositoryCount }, (_, i) => repositoryArb(i, envs))),
            consumers: consumerListArb(envs, 1),
            identityPolicies: maybe(fc.boolean()),
            scanning: maybe(fc.constantFrom({ type: "BASIC" }, { type: "ENHANCED" })),
            lifecycle: lifecycleArb,
            retired: maybe(fc.constant(["gone0", "gone1"])),
            signing: maybe(fc.record({ environments: maybe(fc.subarray(names, { minLength: 1 })) }).map(compact)),
            notifications: maybe(
              fc
                .record({
                  severities: maybe(fc.subarray(["CRITICAL", "HIGH", "MEDIUM"], { minLength: 1 })),
                  subscriptions: fc.constant([{ protocol: "email", endpoint: "ml-security@example.com" }]),
                })
                .map(compact),
            ),
            replication: maybe(
              fc.constantFrom(...envs).map((env) => ({
                rules: [{ environments: [env.name], repositoryPrefixes: ["r0", "ab"], destinations: [{ region: REGIONS.find((r) => r !== env.region)! }] }],
              })),
            ),
            pullThroughCache: maybe(fc.shuffledSubarray(["ecr-public", "quay", "k8s"], { minLength: 1 }).map((upstreams) => ({ rules: upstreams.map((upstream) => ({ upstream })) }))),
            repositoryCreationTemplates: maybe(fc.constant([{ prefix: "ecr-public", appliedFor: ["PULL_THROUGH_CACHE"] }])),
          })
          .map((rest) => compact({ project, region, ...rest, environments: written }));
      }),
  );
