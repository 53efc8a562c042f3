import { SignerSigningProfile } from "@cdktf/provider-aws/lib/signer-signing-profile";
import { minimalRawConfig, synthEnvironment, synthJson } from "./support/fixtures";
import { problemsOf, twoAccountConfig } from "./support/problems";

function withSigning(signing: Record<string, unknown>, base = twoAccountConfig()): Record<string, any> {
  return { ...base, signing };
}

describe("the signing profile", () => {
  test("signs container images with Notation and Signer's maximum validity by default", () => {
    expect(synthEnvironment(withSigning({}), "prod")).toHaveResourceWithProperties(SignerSigningProfile, {
      name: "model_registry_prod",
      platform_id: "Notation-OCI-SHA384-ECDSA",
      signature_validity_period: { value: 135, type: "MONTHS" },
    });
  });

  test("takes its validity period from config", () => {
    const json = synthJson(withSigning({ signatureValidity: { value: 3, unit: "YEARS" } }), "prod");
    expect(json.resource.aws_signer_signing_profile.model_images.signature_validity_period).toEqual({ value: 3, type: "YEARS" });
  });

  test("exports the ARN, name and version ARN CI signs with", () => {
    expect(synthJson(withSigning({}), "prod").output).toMatchObject({
      signing_profile_arn: { value: "${aws_signer_signing_profile.model_images.arn}" },
      signing_profile_name: { value: "${aws_signer_signing_profile.model_images.name}" },
      signing_profile_version_arn: { value: "${aws_signer_signing_profile.model_images.version_arn}" },
    });
  });

  test("exists in every environment by default, and only in those named otherwise", () => {
    expect(synthJson(withSigning({}), "dev").resource.aws_signer_signing_profile.model_images.name).toBe("model_registry_dev");
    expect(synthJson(withSigning({ environments: ["prod"] }), "dev").resource.aws_signer_signing_profile).toBeUndefined();
  });

  test("does not need the environment to manage registry settings", () => {
    const raw = withSigning({}, { ...minimalRawConfig(), environments: [{ name: "dev" }, { name: "dev2", manageRegistrySettings: false }] });
    expect(synthJson(raw, "dev2").resource.aws_signer_signing_profile.model_images.name).toBe("model_registry_dev2");
  });
});

describe("signing validation", () => {
  test.each([
    [{ value: 4051, unit: "DAYS" }, "signing.signatureValidity.value: 4051 DAYS is longer than AWS Signer's 135-month limit; at most 4050 DAYS"],
    [{ value: 136, unit: "MONTHS" }, "signing.signatureValidity.value: 136 MONTHS is longer than AWS Signer's 135-month limit; at most 135 MONTHS"],
    [{ value: 12, unit: "YEARS" }, "signing.signatureValidity.value: 12 YEARS is longer than AWS Signer's 135-month limit; at most 11 YEARS"],
    [{ value: 0, unit: "DAYS" }, "signing.signatureValidity.value: must be at least 1"],
    [{ value: 1.5, unit: "YEARS" }, "signing.signatureValidity.value: must be a whole number"],
    [{ value: 30, unit: "WEEKS" }, 'signing.signatureValidity.unit: must be one of "DAYS", "MONTHS", "YEARS" (got string "WEEKS")'],
    [{ value: 30 }, 'signing.signatureValidity.unit: is required (one of "DAYS", "MONTHS", "YEARS")'],
  ])("the validity %j is rejected", (signatureValidity, problem) => {
    expect(problemsOf(withSigning({ signatureValidity }))).toEqual([problem]);
  });

  test.each([
    [4050, "DAYS"],
    [135, "MONTHS"],
    [11, "YEARS"],
    [1, "DAYS"],
  ])("the validity %d %s is accepted", (value, unit) => {
    const json = synthJson(withSigning({ signatureValidity: { value, unit } }), "dev");
    expect(json.resource.aws_signer_signing_profile.model_images.signature_validity_period).toEqual({ value, type: unit });
  });

  test("a profile name longer than Signer allows is rejected", () => {
    const raw = withSigning({}, { ...minimalRawConfig(), project: "p".repeat(40), environments: [{ name: "environment-with-a-long-name" }] });
    expect(problemsOf(raw)).toEqual([
      `signing: the signing profile of environment environment-with-a-long-name would be named ${"p".repeat(40)}_environment_with_a_long_name (69 characters); AWS Signer allows 64, so shorten the project or environment name`,
    ]);
  });

  test("an unknown environment is rejected", () => {
    expect(problemsOf(withSigning({ environments: ["qa"] }))).toEqual(['signing.environments[0]: unknown environment `qa` (known: dev, prod)']);
  });
});

describe("who may sign", () => {
  const CI = "arn:aws:iam::999999999999:role/github-actions/model-image-publisher";
  const PROD_SIGNER = "arn:aws:iam::222222222222:role/release-signer";
  const withSigners = (signing: Record<string, unknown>, extra: Record<string, unknown> = {}) => withSigning(signing, twoAccountConfig(extra));

  test("by default the push consumers of the environment; one in another account gets a SignPayload profile permission", () => {
    const json = synthJson(withSigners({ environments: ["prod"] }, { consumers: [{ kind: "push", principal: CI }, { kind: "pull", principal: "444444444444" }] }), "prod");
    const permissions = Object.values(json.resource.aws_signer_signing_profile_permission);
    expect(permissions).toEqual([
      {
        profile_name: "${aws_signer_signing_profile.model_images.name}",
        action: "signer:SignPayload",
        principal: CI,
        statement_id: expect.stringMatching(/^SignPayload-999999999999-[0-9a-f]{8}$/),
      },
    ]);
    const [id] = Object.keys(json.resource.aws_signer_signing_profile_permission);
    expect(id).toMatch(/^signer_999999999999_[0-9a-f]{8}$/);
    expect(json.resource.aws_iam_policy).toBeUndefined();
  });

  test("a repository's own push consumers sign too, and an account id is granted as the account", () => {
    const raw = withSigners({}, { repositories: [{ name: "ai-models/llm", consumers: [{ kind: "push", principal: "444444444444" }] }] });
    const permissions = Object.values(synthJson(raw, "prod").resource.aws_signer_signing_profile_permission) as any[];
    expect(permissions.map((p) => [p.principal, p.action])).toEqual([["444444444444", "signer:SignPayload"]]);
  });

  test("a signer of the profile's own account gets an identity policy for SignPayload on the profile, not a permission", () => {
    const json = synthJson(withSigners({ environments: ["prod"], signers: [{ principal: PROD_SIGNER }, { principal: CI }] }, { identityPolicies: true }), "prod");
    expect(Object.values(json.resource.aws_signer_signing_profile_permission).map((p: any) => p.principal)).toEqual([CI]);
    expect(json.resource.aws_iam_policy.model_images).toMatchObject({ name: "model-registry-prod-signing", path: "/model-registry/" });
    expect(JSON.parse(json.resource.aws_iam_policy.model_images.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "SignWithProfile",
          Effect: "Allow",
          Action: ["signer:SignPayload"],
          Resource: "arn:aws:signer:us-west-2:222222222222:/signing-profiles/model_registry_prod",
        },
      ],
    });
    expect(json.output.signing_policy_arn.value).toBe("${aws_iam_policy.model_images.arn}");
  });

  test("explicit signers replace the default, apply per environment, and [] grants nobody", () => {
    const raw = withSigners({ signers: [{ principal: CI, environments: ["prod"] }] }, { consumers: [{ kind: "push", principal: "444444444444" }] });
    expect(Object.values(synthJson(raw, "prod").resource.aws_signer_signing_profile_permission).map((p: any) => p.principal)).toEqual([CI]);
    expect(synthJson(raw, "dev").resource.aws_signer_signing_profile_permission).toBeUndefined();
    const none = withSigners({ signers: [] }, { consumers: [{ kind: "push", principal: CI }] });
    expect(synthJson(none, "prod").resource.aws_signer_signing_profile_permission).toBeUndefined();
  });

  test("without the environment's account every signer gets a profile permission", () => {
    const raw = withSigning({ signers: [{ principal: "arn:aws:iam::111111111111:role/signer" }] }, minimalRawConfig());
    expect(Object.values(synthJson(raw).resource.aws_signer_signing_profile_permission).map((p: any) => p.principal)).toEqual(["arn:aws:iam::111111111111:role/signer"]);
  });

  test("permission ids depend on the principal only, so adding a signer renames none", () => {
    const one = Object.keys(synthJson(withSigners({ signers: [{ principal: CI }] }), "prod").resource.aws_signer_signing_profile_permission);
    const two = Object.keys(synthJson(withSigners({ signers: [{ principal: "444444444444" }, { principal: CI }] }), "prod").resource.aws_signer_signing_profile_permission);
    expect(two).toEqual(expect.arrayContaining(one));
    expect(two).toHaveLength(2);
  });

  test.each([
    [{ signers: [{ principal: "*" }] }, /^signing\.signers\[0\]\.principal: the principal "\*" would let every AWS account in/],
    [{ signers: [{ principal: CI }, { principal: CI }] }, /^signing\.signers\[1\]\.principal: duplicate principal: entry 0 of this list already names/],
    [{ environments: ["prod"], signers: [{ principal: CI, environments: ["dev"] }] }, /^signing\.signers\[0\]\.environments\[0\]: signing does not exist in environment "dev" \(it exists in: prod\)$/],
    [
      { signers: [{ principal: "arn:aws:iam::999999999999:user/ci" }] },
      /^signing\.signers\[0\]\.principal: arn:aws:iam::999999999999:user\/ci is an IAM user outside environment dev's account; AWS Signer grants cross-account signing to IAM roles or accounts only$/,
    ],
  ])("%j is rejected", (signing, message) => {
    const problems = problemsOf(withSigning(signing));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test("the default leaves out push consumers that are IAM users of another account, which Signer cannot grant", () => {
    const raw = withSigners({}, { consumers: [{ kind: "push", principal: "arn:aws:iam::999999999999:user/ci" }, { kind: "push", principal: CI }] });
    expect(Object.values(synthJson(raw, "prod").resource.aws_signer_signing_profile_permission).map((p: any) => p.principal)).toEqual([CI]);
  });

  test("an IAM user of the profile's own account may sign through the identity policy", () => {
    expect(() => synthJson(withSigners({ signers: [{ principal: "arn:aws:iam::222222222222:user/release" }], environments: ["prod"] }, { identityPolicies: true }), "prod")).not.toThrow();
  });
});
