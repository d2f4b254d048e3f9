-- wrk script: create tickets (POST /flicket-api/tickets).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"title":"Load benchmark ticket","content":"Created by make bench to measure ticket creation.","category_id":1,"ticket_priority_id":2}'
