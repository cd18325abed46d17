WITH "l0" AS (
  SELECT "t1"."id" AS "c0", "t1"."id" AS "s0"
  FROM "articles" AS "t1"
  WHERE "t1"."id" = ANY($1::int8[])
  ORDER BY "s0" ASC NULLS LAST
  LIMIT $2) SELECT COALESCE(json_agg("y3"."v"
  ORDER BY "y3"."s0" ASC NULLS LAST), '[]'::json)::text AS "data", (SELECT count(*)
  FROM "articles" AS "t4")::int8 AS "filter_count"
  FROM (SELECT json_build_object(E'id', "x2"."c0") AS "v", "x2"."s0"
  FROM "l0" AS "x2") AS "y3"
-- params: [["3","1"],2]
