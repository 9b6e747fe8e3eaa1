/** Flow definitions the integ apps share. */

/** The smallest flow: its input passed to its output. */
export const PASS_THROUGH_FLOW = {
  nodes: [
    { name: 'In', type: 'Input', configuration: { input: {} }, outputs: [{ name: 'document', type: 'String' }] },
    { name: 'Out', type: 'Output', configuration: { output: {} }, inputs: [{ name: 'document', type: 'String', expression: '$.data' }] },
  ],
  connections: [
    { name: 'InToOut', type: 'Data', source: 'In', target: 'Out', configuration: { data: { sourceOutput: 'document', targetInput: 'document' } } },
  ],
};
