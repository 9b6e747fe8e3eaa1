import { matchesPattern } from './event-pattern';

// The sample event and rules of the aws/event-ruler README ("Ruler by Example").
const EC2_EVENT = {
  'version': '0',
  'id': 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  'source': 'aws.ec2',
  'account': '012345679012',
  'time': '2017-10-02T16:24:49Z',
  'region': 'us-east-1',
  'resources': ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  'detail': { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.33', 'instance-id': 'i-000000aaaaaa00000', 'state': 'running' },
};

describe('matchesPattern follows the documented EventBridge semantics', () => {
  test('exact values, with array fields matching on intersection', () => {
    expect(matchesPattern({
      'detail-type': ['EC2 Instance State-change Notification'],
      'resources': ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
      'detail': { state: ['initializing', 'running'] },
    }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ detail: { state: ['stopped'] } }, EC2_EVENT)).toBe(false);
    expect(matchesPattern({ resources: ['arn:aws:ec2:us-east-1:123456789012:instance/other'] }, EC2_EVENT)).toBe(false);
  });

  test('a field named in the pattern but missing from the event does not match', () => {
    expect(matchesPattern({ detail: { missing: ['running'] } }, EC2_EVENT)).toBe(false);
    expect(matchesPattern({ detail: { missing: [{ 'anything-but': 'x' }] } }, EC2_EVENT)).toBe(false);
  });

  test('prefix, anything-but (value, list, prefix) and numeric', () => {
    expect(matchesPattern({ time: [{ prefix: '2017-10-02' }] }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ time: [{ prefix: '2018' }] }, EC2_EVENT)).toBe(false);
    expect(matchesPattern({ detail: { state: [{ 'anything-but': 'initializing' }] } }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } }, EC2_EVENT)).toBe(false);
    expect(matchesPattern({ detail: { state: [{ 'anything-but': { prefix: 'run' } }] } }, EC2_EVENT)).toBe(false);
    expect(matchesPattern({
      time: [{ prefix: '2017-10-02' }],
      detail: {
        'state': [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    }, EC2_EVENT)).toBe(true);
  });

  test('exists works on leaves only, and combines with anything-but in one field', () => {
    expect(matchesPattern({ detail: { 'c-count': [{ exists: true }] } }, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ detail: { 'c-count': [{ exists: false }] } }, EC2_EVENT)).toBe(false);
    expect(matchesPattern({ detail: { 'c-count': [{ exists: false }] } }, { detail: { 'c-count': { c1: 100 } } })).toBe(true);
    const tier = { detail: { tier: [{ 'anything-but': ['gold', 'silver'] }, { exists: false }] } };
    expect(matchesPattern(tier, { detail: { tier: 'bronze' } })).toBe(true);
    expect(matchesPattern(tier, { detail: {} })).toBe(true);
    expect(matchesPattern(tier, { detail: { tier: 'gold' } })).toBe(false);
  });

  test('arrays of objects are crushed, with fields of one match from the same element', () => {
    const event = { employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }] };
    expect(matchesPattern({ employees: { firstName: ['Anna'] } }, event)).toBe(true);
    expect(matchesPattern({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, event)).toBe(false);
    expect(matchesPattern({ employees: { firstName: ['Anna'] } }, { employees: [[{ firstName: 'Anna' }]] })).toBe(true);
  });

  test('$or', () => {
    const pattern = { source: ['aws.ec2'], $or: [{ detail: { state: ['stopped'] } }, { detail: { 'c-count': [5] } }] };
    expect(matchesPattern(pattern, EC2_EVENT)).toBe(true);
    expect(matchesPattern({ ...pattern, $or: [{ detail: { state: ['stopped'] } }, { detail: { 'c-count': [6] } }] }, EC2_EVENT)).toBe(false);
  });

  test('rejects operators it does not implement and malformed patterns', () => {
    expect(() => matchesPattern({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, EC2_EVENT)).toThrow(/unsupported pattern operator 'cidr'/);
    expect(() => matchesPattern({ detail: { state: [] } }, EC2_EVENT)).toThrow(/lists no values/);
    expect(() => matchesPattern({ detail: { state: 'running' } }, EC2_EVENT)).toThrow(/must be an object or a list/);
  });
});
