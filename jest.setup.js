// cdktf's jest matchers (toHaveResourceWithProperties, ...): what Testing.setupJest() installs, from
// the module that holds them, so test files that never synthesize do not load all of cdktf.
require("cdktf/lib/testing/adapters/jest").setupJest();
