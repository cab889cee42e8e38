// @gfsdk/dataframe/testing: helpers for tests, kept out of the main entry.

export { createRandomFrame, type RandomFrameOptions } from "./random-frame.js";
