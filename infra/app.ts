import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app.js';
import { InvalidConfigurationError } from './config.js';

const app = new App();
try {
  buildApp(app);
} catch (error) {
  if (error instanceof InvalidConfigurationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
app.synth();
