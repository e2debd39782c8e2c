#pragma once
// The points of a .step/.mc run across MPI ranks (`mpirun -np N`, Slurm's `srun`). Rank 0
// runs the deck as a single process would, writing every file, and hands points out one
// at a time to the other ranks as they ask (points differ in cost); each rank computes
// its points on its own -j threads and sends back their results (study.hpp's bytes),
// which rank 0 journals and writes in point order, so the files are those of a single
// process. The other ranks print nothing: a deck error is reported once, by rank 0.
//
// Without an MPI launcher (or in a build without NS_MPI) there is one rank and none of
// this runs. All MPI calls are made by one thread per process (MPI_THREAD_FUNNELED): rank
// 0's writer and the other ranks' main threads; -j threads only compute.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/run.hpp"

namespace ns {

// MPI for the life of the process, when an MPI launcher started it.
class Cluster {
public:
  Cluster(int& argc, char**& argv);
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;
  static int rank();  // 0 without MPI
  static int size();  // 1 without MPI
};

// A rank other than 0: waits for rank 0's run, computes the points it hands out, and
// returns when rank 0 says the run is over. Returns 0 even when this rank could not read
// the deck (rank 0 reports that): Open MPI ends the whole job when a rank fails.
int serve_points(const RunOptions& options);

// Rank 0's side while a stepped run goes: what the other ranks ask and send.
class Coordinator {
public:
  struct Hooks {
    std::function<std::optional<std::size_t>()> take;             // the next point to run, none when all are out
    std::function<void(std::size_t, std::string&&, int)> deliver;  // a rank's result (encode()d), from rank
    std::function<void(std::size_t, int)> assigned;                // a point handed to a rank
    std::function<void(const std::string&)> say;                   // a note for the user
    std::function<bool()> interrupted;                             // the run is being stopped
  };
  // True on rank 0 of several ranks, for the first distributed run of the process.
  static bool available();
  // Lets the other ranks go: this process' run is not stepped, or not theirs to share.
  static void release();
  // Starts the other ranks on the run (`only`: RunOptions::only, from a .control script).
  Coordinator(const std::vector<std::string>& only, Hooks hooks);
  // Handles whatever the ranks sent; rank 0's writer calls it while it waits.
  void poll();
  // Every point is in: waits for the ranks to finish. False if the run was interrupted
  // first (a rank died, say, without a point): then stop_ranks() names the silent ones.
  bool finish();
  // Without finish() (a failure, an interrupt): stops the ranks, keeping the results they
  // send meanwhile (delivered, so journaled).
  ~Coordinator();
  // Points handed out and not yet back: by point, the rank.
  const std::map<std::size_t, int>& out() const { return out_; }
  // The run is stopping (an interrupt; mpirun ends a job whose rank died by sending
  // SIGTERM to the others): asks every rank to stop and waits up to `wait` seconds for
  // them to say goodbye. Returns the ranks that did not: dead (or hung), as rank 0 sees
  // it; they are given up on.
  std::vector<int> stop_ranks(double wait);
  // For --stats: results received, their bytes, this thread's CPU time handling the
  // ranks' messages (receiving, decoding, journaling, handing out), and probing for
  // messages when there were none.
  std::size_t results() const { return results_; }
  std::size_t bytes() const { return bytes_; }
  double seconds() const { return seconds_; }
  double idle_seconds() const { return idle_seconds_; }
  Coordinator(const Coordinator&) = delete;
  Coordinator& operator=(const Coordinator&) = delete;

private:
  void handle(bool stopping);
  Hooks hooks_;
  std::vector<bool> left_;  // by rank: said goodbye (or could not start, or gave up on)
  std::map<std::size_t, int> out_;
  bool finished_ = false;
  std::size_t results_ = 0, bytes_ = 0;
  double seconds_ = 0, idle_seconds_ = 0;
};

// CPU time of the calling thread, in seconds.
double thread_seconds();

}  // namespace ns
