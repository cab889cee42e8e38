#!/usr/bin/env node
// The gfsdk command; its code is dist/bin.js, built from src/bin.ts.
import "../dist/bin.js";
