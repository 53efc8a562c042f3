import { configurationReferenceFile, guardrailRulesFile, schemaFile, writeGenerated } from "../src/commands/generate";

// The schema file and the reference derive from the config schema, the rule table from the
// guardrail catalogue; regenerating them together keeps them in step.
writeGenerated([schemaFile(), configurationReferenceFile(), guardrailRulesFile()]);
