/** A tag in a Bedrock job request (`Tag` in the AWS SDK: `{ key, value }`). */
export interface JobTag {
  /** The tag key. */
  readonly key: string;
  /** The tag value. */
  readonly value: string;
}

/** An Amazon S3 location in a Bedrock job request (`{ s3Uri }` in the AWS SDK). */
export interface JobS3Location {
  /** `s3://<bucket>/<key or prefix>` */
  readonly s3Uri: string;
}
