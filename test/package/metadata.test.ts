import * as fs from 'fs';
import * as path from 'path';

/** Package metadata as Construct Hub and the registries read it (set in .projenrc.ts). */
const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8'));
const assembly = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '.jsii'), 'utf-8'));

test('keywords Construct Hub indexes, a license, and an author that names the project', () => {
  expect(pkg.keywords).toEqual(expect.arrayContaining(['cdk', 'awscdk', 'aws-cdk', 'bedrock', 'kms']));
  expect(pkg.license).toBe('Apache-2.0');
  expect(pkg.author.name).toMatch(/cdk-bedrock-encryption project/);
});

test('repository, homepage and bugs URLs, the repository without .git; the jsii assembly carries them', () => {
  expect(pkg.repository.url).toBe('https://github.com/cdk-bedrock-encryption/cdk-bedrock-encryption');
  expect(pkg.homepage).toBe('https://github.com/cdk-bedrock-encryption/cdk-bedrock-encryption#readme');
  expect(pkg.bugs.url).toBe('https://github.com/cdk-bedrock-encryption/cdk-bedrock-encryption/issues');
  expect(assembly.repository.url).toBe(pkg.repository.url);
  expect(assembly.homepage).toBe(pkg.homepage);
  expect(assembly.keywords).toEqual(expect.arrayContaining(['awscdk', 'bedrock', 'kms']));
});
