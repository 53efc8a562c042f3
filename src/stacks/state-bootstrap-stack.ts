import { LocalBackend, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { partitionOf } from "../config/schema/aws";
import { S3StateConfig } from "../config/schema/state";
import { stateProviderDefaultTags, Tags } from "../config/schema/tags";
import { RegistryEncryptionKey } from "../constructs/registry-encryption-key";
import { StateBucket, StateBucketEncryption } from "../constructs/state-bucket";
import { STATE_OUTPUTS, stateKeyAliasName, stateStackName } from "../naming";
import { ProjectStack } from "./project-stack";

export interface StateBootstrapStackProps {
  /** The project name: names the stack (`<project>-state`) and the key alias. */
  readonly project: string;
  /** The validated S3 state settings. */
  readonly state: S3StateConfig;
  /** Region of the bucket (`state.region`, else the registry's region). */
  readonly region: string;
  /** Account allowed to hold the bucket. @default - any account the credentials belong to */
  readonly accountId?: string;
  /** The prefix of every environment's state key, reported in the outputs. */
  readonly keyPrefix: string;
  /** The registry's tags, applied to every resource. @default {} */
  readonly tags?: Tags;
}

/**
 * Where the bootstrap stack keeps its own (local) state, relative to the directory Terraform runs
 * in (`<outdir>/stacks/<stack>`): the folder that holds the output folder, normally the project
 * root. Never inside the output folder, which every synth replaces.
 */
export function bootstrapStatePath(project: string): string {
  return `../../../terraform.${stateStackName(project)}.tfstate`;
}

/**
 * Creates the S3 bucket (and KMS key) that the environment stacks keep their state in. It cannot
 * keep its own state in a bucket that does not exist yet, so it uses a local backend; deploy it
 * once, before any environment stack.
 */
export class StateBootstrapStack extends ProjectStack {
  readonly stateBucket: StateBucket;
  readonly encryptionKey?: RegistryEncryptionKey;

  constructor(scope: Construct, props: StateBootstrapStackProps) {
    const { project, state } = props;
    super(scope, stateStackName(project));

    new AwsProvider(this, "aws", {
      region: props.region,
      allowedAccountIds: props.accountId ? [props.accountId] : undefined,
      defaultTags: [{ tags: stateProviderDefaultTags(project, props.tags ?? {}) }],
    });

    new LocalBackend(this, { path: bootstrapStatePath(project) });

    let encryption: StateBucketEncryption = { type: "AES256" };
    if (state.encryption.type === "KMS") {
      if (!state.encryption.kmsKeyArn) {
        this.encryptionKey = new RegistryEncryptionKey(this, "encryption-key", {
          aliasName: stateKeyAliasName(project),
          description: `Encrypts the Terraform state of ${project} in s3://${state.bucket}`,
          logicalId: "state",
          preventDestroy: true,
        });
      }
      encryption = { type: "KMS", kmsKeyArn: state.encryption.kmsKeyArn ?? this.encryptionKey!.arn };
    }

    this.stateBucket = new StateBucket(this, "bucket", {
      bucketName: state.bucket,
      partition: partitionOf(props.region),
      encryption,
      noncurrentVersionExpirationDays: state.noncurrentVersionExpirationDays,
    });

    const output = (name: string, value: string, description: string) =>
      new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
    output(STATE_OUTPUTS.bucket, this.stateBucket.bucket.bucket, "S3 backend bucket of the environment stacks");
    output(STATE_OUTPUTS.region, props.region, "S3 backend region of the environment stacks");
    output(STATE_OUTPUTS.keyPrefix, props.keyPrefix, "Prefix of each environment's state key: <prefix>/<environment>/terraform.tfstate");
    if (encryption.type === "KMS")
      output(STATE_OUTPUTS.kmsKeyArn, encryption.kmsKeyArn, "KMS key that encrypts the state objects (S3 backend kms_key_id)");
  }
}
