import { ECR_CACHE_IMPORT_ACTIONS } from "../src/access/actions";
import { UnsafePolicyError, assertLeastPrivilege } from "../src/policies/policy-document";
import { cacheIdentityPolicyDocument, cacheRegistryStatements, cacheRepositoriesArn, cacheRepositoryPolicyDocument, cacheStatementId } from "../src/policies/pull-through-cache-policy";
import { SIGN_PAYLOAD_ACTION } from "../src/access/actions";
import { signingIdentityPolicyDocument, signingProfileArn } from "../src/policies/signing-policy";
import { CACHE_IMPORT, PULL } from "./support/ecr-actions";

const CI = "arn:aws:iam::999999999999:role/ci";
const BUILDER = "arn:aws:iam::111111111111:role/builder";

describe("pull-through cache grants", () => {
  test("the import actions are the two ECR documents for a first pull, and nothing a registry policy refuses", () => {
    expect([...ECR_CACHE_IMPORT_ACTIONS]).toEqual(CACHE_IMPORT);
  });

  test("statement ids are the prefix in camel case", () => {
    expect(cacheStatementId("ecr-public")).toBe("PullThroughCacheEcrPublic");
    expect(cacheStatementId("base/docker-hub")).toBe("PullThroughCacheBaseDockerHub");
  });

  test("registry statements grant the import actions on the cache's namespace only, principals sorted and unique, caches sorted", () => {
    expect(
      cacheRegistryStatements("aws", "us-east-1", "111111111111", [
        { prefix: "quay", principals: [CI] },
        { prefix: "ecr-public", principals: [CI, BUILDER, CI] },
        { prefix: "k8s", principals: [] },
      ]),
    ).toEqual([
      { Sid: "PullThroughCacheEcrPublic", Effect: "Allow", Principal: { AWS: [BUILDER, CI] }, Action: CACHE_IMPORT, Resource: "arn:aws:ecr:us-east-1:111111111111:repository/ecr-public/*" },
      { Sid: "PullThroughCacheQuay", Effect: "Allow", Principal: { AWS: [CI] }, Action: CACHE_IMPORT, Resource: "arn:aws:ecr:us-east-1:111111111111:repository/quay/*" },
    ]);
  });

  test("the cache namespace ARN is in the registry's partition", () => {
    expect(cacheRepositoriesArn("aws-cn", "cn-north-1", "111111111111", "quay")).toBe("arn:aws-cn:ecr:cn-north-1:111111111111:repository/quay/*");
  });

  test("the template's repository policy lets the principals pull, and is absent for nobody", () => {
    expect(cacheRepositoryPolicyDocument([CI, BUILDER])).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "PullThroughCachePull", Effect: "Allow", Principal: { AWS: [BUILDER, CI] }, Action: PULL }],
    });
    expect(cacheRepositoryPolicyDocument([])).toBeUndefined();
  });

  test("the identity policy has the login token on * alone and pull plus import on the namespace", () => {
    expect(cacheIdentityPolicyDocument("arn:aws:ecr:us-east-1:111111111111:repository/ecr-public/*")).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "GetAuthorizationToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
        { Sid: "PullThroughCache", Effect: "Allow", Action: [...CACHE_IMPORT, ...PULL].sort(), Resource: "arn:aws:ecr:us-east-1:111111111111:repository/ecr-public/*" },
      ],
    });
  });

  test("the least-privilege guard refuses the import actions on every resource", () => {
    expect(() =>
      assertLeastPrivilege({ Version: "2012-10-17", Statement: [{ Sid: "Cache", Effect: "Allow", Principal: { AWS: [CI] }, Action: CACHE_IMPORT, Resource: "*" }] }),
    ).toThrow(new UnsafePolicyError("statement Cache grants ecr:BatchImportUpstreamImage, ecr:CreateRepository on every resource"));
  });
});

describe("signing grants", () => {
  test("the one action is SignPayload, and the profile ARN has Signer's /signing-profiles/ path", () => {
    expect(SIGN_PAYLOAD_ACTION).toBe("signer:SignPayload");
    expect(signingProfileArn("aws", "us-west-2", "222222222222", "model_registry_prod")).toBe("arn:aws:signer:us-west-2:222222222222:/signing-profiles/model_registry_prod");
  });

  test("the identity policy allows SignPayload on the one profile", () => {
    const arn = "arn:aws:signer:us-west-2:222222222222:/signing-profiles/model_registry_prod";
    expect(signingIdentityPolicyDocument(arn)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "SignWithProfile", Effect: "Allow", Action: ["signer:SignPayload"], Resource: arn }],
    });
  });

  test("the least-privilege guard refuses SignPayload on every resource", () => {
    expect(() => assertLeastPrivilege({ Version: "2012-10-17", Statement: [{ Sid: "Sign", Effect: "Allow", Action: ["signer:SignPayload"], Resource: "*" }] })).toThrow(
      new UnsafePolicyError("statement Sign grants signer:SignPayload on every resource"),
    );
  });
});
