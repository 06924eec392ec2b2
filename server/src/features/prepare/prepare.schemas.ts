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
