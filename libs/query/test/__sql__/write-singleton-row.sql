SELECT "id" AS pk
  FROM "settings"
  ORDER BY 1
  LIMIT 1 FOR UPDATE
-- params: []
