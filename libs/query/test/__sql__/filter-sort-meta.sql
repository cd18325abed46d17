WITH "l0" AS (
  SELECT "t1"."id" AS "c0", "t1"."title" AS "c1", "t1"."published_at" AS "s0", "t1"."title" AS "s1", "t1"."id" AS "s2"
  FROM "articles" AS "t1"
  WHERE ("t1"."status" = ANY($1::text[]) AND "t1"."views" >= $2::int8)
  ORDER BY "s0" DESC NULLS FIRST, "s1" ASC NULLS LAST, "s2" ASC NULLS LAST
  LIMIT $3 OFFSET $4) SELECT COALESCE(json_agg("y3"."v"
  ORDER BY "y3"."s0" DESC NULLS FIRST, "y3"."s1" ASC NULLS LAST, "y3"."s2" ASC NULLS LAST), '[]'::json)::text AS "data", (SELECT count(*)
  FROM "articles" AS "t4")::int8 AS "total_count", (SELECT count(*)
  FROM "articles" AS "t5"
  WHERE ("t5"."status" = ANY($5::text[]) AND "t5"."views" >= $6::int8))::int8 AS "filter_count"
  FROM (SELECT json_build_object(E'id', "x2"."c0", E'title', "x2"."c1") AS "v", "x2"."s0", "x2"."s1", "x2"."s2"
  FROM "l0" AS "x2") AS "y3"
-- params: [["published","draft"],"10",10,10,["published","draft"],"10"]
