import { Type } from 'typebox';

export const PrepareBody = Type.Object({
  folder: Type.String({
    description: 'A lake folder path; it and the subfolders the caller may see are prepared',
  }),
});
export const PrepareResponse = Type.Object({
  jobId: Type.String({
    description:
      'The job that writes the ASC MHL generation and the ALE + FCPXML bins once every copy has finished',
  }),
  jobs: Type.Array(Type.Object({ assetId: Type.String(), jobId: Type.String() }), {
    description: 'One verified copy job per asset',
  }),
});

export const PrepareSelectionBody = Type.Object(
  {
    ids: Type.Array(Type.String({ format: 'uuid' }), {
      minItems: 1,
      maxItems: 10_000,
      description: 'The assets, from any folders; each must be one the caller may see',
    }),
    name: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 120,
        description:
          'The bins\' name, without extension: `<name>.ale` and `<name>.fcpxml` at the volume\'s root. Default "Selection <date> <time UTC>"',
      }),
    ),
  },
  { additionalProperties: false },
);
export const PrepareSelectionResponse = Type.Object({
  jobId: PrepareResponse.properties.jobId,
  jobs: PrepareResponse.properties.jobs,
  bins: Type.Array(Type.String(), { description: "Where the bins will be, from the volume's root" }),
});
