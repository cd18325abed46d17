SELECT "id" AS pk
  FROM "comments"
  WHERE "article" = $1 AND "id" = ANY($2)
-- params: [1,[2]]

SELECT "id" AS pk
  FROM "comments"
  WHERE "article" = $1 AND NOT ("id" = ANY($2))
-- params: [1,[1,3]]
