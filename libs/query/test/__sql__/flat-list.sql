WITH "l0" AS (
  SELECT "t1"."id" AS "c0", "t1"."name" AS "c1", "t1"."id" AS "s0"
  FROM "tags" AS "t1"
  ORDER BY "s0" ASC NULLS LAST
  LIMIT $1) SELECT COALESCE(json_agg("y3"."v"
  ORDER BY "y3"."s0" ASC NULLS LAST), '[]'::json)::text AS "data"
  FROM (SELECT json_build_object(E'id', "x2"."c0", E'name', "x2"."c1") AS "v", "x2"."s0"
  FROM "l0" AS "x2") AS "y3"
-- params: [100]
