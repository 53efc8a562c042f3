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
