import { readmeFile, schemaFile, writeGenerated } from "../src/commands/generate";

// Both files derive from the schema; regenerating them together keeps them in step.
writeGenerated([schemaFile(), readmeFile()]);
