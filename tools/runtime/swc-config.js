// The SWC options shared by the build (tools/build) and Jest, read from .swcrc so both agree.
const fs = require('node:fs');
const path = require('node:path');

module.exports = {
  ...JSON.parse(fs.readFileSync(path.join(__dirname, '../../.swcrc'), 'utf8')),
  swcrc: false,
};
