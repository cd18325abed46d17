WITH "l0" AS (
  SELECT "t1"."id" AS "c0", "t1"."id" AS "s0"
  FROM "articles" AS "t1"
  WHERE ("t1"."published_at" < $1::timestamp OR "t1"."uid" = ANY($2::uuid[]))
  ORDER BY "s0" ASC NULLS LAST
  LIMIT $3) SELECT COALESCE(json_agg("y3"."v"
  ORDER BY "y3"."s0" ASC NULLS LAST), '[]'::json)::text AS "data"
  FROM (SELECT json_build_object(E'id', "x2"."c0") AS "v", "x2"."s0"
  FROM "l0" AS "x2") AS "y3"
-- params: ["2023-06-01T12:00:00.000",["0b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b","1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"],100]
