SELECT COALESCE(json_agg(json_build_object(E'status', "y1"."g0", E'published_at_year', "y1"."g1"::text, E'count', "y1"."a0"::text, E'sum', json_build_object(E'views', "y1"."a1"::text), E'avg', json_build_object(E'views', "y1"."a2"::text), E'max', json_build_object(E'published_at', date_trunc('second', "y1"."a3")))
  ORDER BY "y1"."a0" DESC NULLS FIRST), '[]'::json)::text AS "data"
  FROM (SELECT "t0"."status" AS "g0", extract(year from "t0"."published_at") AS "g1", count(*) AS "a0", sum("t0"."views") AS "a1", avg("t0"."views") AS "a2", max("t0"."published_at") AS "a3"
  FROM "articles" AS "t0"
  WHERE "t0"."status" <> $2::text
  GROUP BY 1, 2
  ORDER BY "a0" DESC NULLS FIRST
  LIMIT $1) AS "y1"
-- params: [100,"archived"]
