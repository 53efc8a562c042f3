import { schemaFile, writeGenerated } from "../src/commands/generate";

writeGenerated([schemaFile()]);
