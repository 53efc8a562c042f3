// Stands in for cdktf 0.21.0's lib/tokens/private/stack-trace.js (see patches.cjs). cdktf records a
// full stack trace for every token it creates, used only in the message when a token fails to
// resolve; with 1,000 repositories formatting those traces was about 30% of synth time.
"use strict";
exports.captureStackTrace = function captureStackTrace() {
  return [];
};
